/**
 * Which origins this worker's Content-Security-Policy blocked. A fetch the CSP refuses fails
 * with the same TypeError as being offline; the `securitypolicyviolation` event (dispatched on
 * the worker's global scope, as a separate task) is the only way to tell the two apart, so the
 * user can be told that the site's policy, not the network, stopped a custom model source.
 */
export interface ViolationScope {
  addEventListener(type: 'securitypolicyviolation', listener: (event: { blockedURI: string }) => void): void;
}

export class CspViolations {
  private readonly blocked = new Set<string>();

  constructor(scope: ViolationScope | undefined = globalThis as unknown as ViolationScope) {
    scope?.addEventListener?.('securitypolicyviolation', (event) => {
      const origin = originOf(event.blockedURI);
      if (origin) this.blocked.add(origin);
    });
  }

  /** After a failed fetch of `url`: was its origin blocked by the policy? Waits one task for the event. */
  async blocks(url: string): Promise<boolean> {
    const origin = originOf(url);
    if (!origin) return false;
    if (this.blocked.has(origin)) return true;
    await new Promise((resolve) => setTimeout(resolve, 0));
    return this.blocked.has(origin);
  }
}

function originOf(url: string): string | undefined {
  try {
    const parsed = new URL(url);
    return parsed.origin === 'null' ? undefined : parsed.origin;
  } catch {
    return undefined;
  }
}
