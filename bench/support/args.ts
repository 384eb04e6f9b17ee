/** `--name value` from a bench's arguments (undefined when the flag is absent). */
export function option(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  return index >= 0 ? argv[index + 1] : undefined;
}
