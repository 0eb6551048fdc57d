/**
 * Runs `drain` once on the first SIGTERM or SIGINT (Container Apps sends SIGTERM, then SIGKILL
 * after its grace period), then exits with its code. A second signal exits at once.
 */
export function onShutdownSignal(
  drain: (signal: NodeJS.Signals) => Promise<number>,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  let draining = false;
  const handle = (signal: NodeJS.Signals) => {
    if (draining) {
      exit(1);
      return;
    }
    draining = true;
    drain(signal).then(exit, () => exit(1));
  };
  process.on('SIGTERM', handle);
  process.on('SIGINT', handle);
}
