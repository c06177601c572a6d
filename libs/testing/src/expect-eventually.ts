/**
 * Retries `assertion` until it stops throwing, then returns its result; after `timeoutMs` it
 * rethrows the last failure. For state that is reached asynchronously, instead of a fixed sleep.
 */
export async function expectEventually<T>(
  assertion: () => T | Promise<T>,
  timeoutMs = 5000,
  intervalMs = 20,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (performance.now() >= deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
