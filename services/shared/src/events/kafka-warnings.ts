// kafkajs 2.2.4 sometimes schedules a timer with a negative delay (its request queue computes "time until
// the next throttled request" and it can be < 0). Node >= 24 then prints a TimeoutNegativeWarning; the
// timer still fires after 1 ms, which is what kafkajs meant, so the warning is noise. Only that warning is
// dropped; every other warning goes through unchanged.
let installed = false;

function warningType(warning: string | Error, typeOrOptions: unknown): string | undefined {
  if (warning instanceof Error) return warning.name;
  if (typeof typeOrOptions === "string") return typeOrOptions;
  if (typeOrOptions && typeof typeOrOptions === "object" && "type" in typeOrOptions)
    return String((typeOrOptions as { type: unknown }).type);
  return undefined;
}

export function silenceTimeoutNegativeWarning(): void {
  if (installed) return;
  installed = true;
  const emitWarning = process.emitWarning.bind(process) as (...args: unknown[]) => void;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    if (warningType(warning, rest[0]) === "TimeoutNegativeWarning") return;
    emitWarning(warning, ...rest);
  }) as typeof process.emitWarning;
}
