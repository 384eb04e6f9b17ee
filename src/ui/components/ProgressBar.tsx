/**
 * The studio's progress bar: `fraction` in [0, 1], or undefined for work of unknown length
 * (a pulsing third). Named by `label` or by the element `labelledBy` points at.
 */
export interface ProgressBarProps {
  fraction: number | undefined;
  label?: string;
  labelledBy?: string;
  /** Read out instead of the percentage (e.g. "Evaluation 12 of 40"). */
  valueText?: string;
  /** Grey instead of amber (paused work). */
  muted?: boolean;
  className?: string;
  testId?: string;
}

export function ProgressBar({
  fraction,
  label,
  labelledBy,
  valueText,
  muted,
  className,
  testId,
}: ProgressBarProps) {
  const known = fraction !== undefined;
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={known ? Math.round(fraction * 100) : undefined}
      aria-valuetext={valueText}
      className={`h-2 overflow-hidden rounded bg-zinc-800 ${className ?? ''}`}
      data-testid={testId}
    >
      <div
        className={`h-full transition-[width] ${muted ? 'bg-zinc-500' : 'bg-amber-400'} ${known ? '' : 'w-1/3 animate-pulse'}`}
        style={known ? { width: `${(fraction * 100).toFixed(1)}%` } : undefined}
      />
    </div>
  );
}
