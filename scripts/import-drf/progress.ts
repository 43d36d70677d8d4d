// Progress of a run: on a terminal a bar redrawn in place with rows/s and ETA; otherwise (a pipe, a CI log)
// one plain line every few seconds.

export interface ProgressState {
  phase: string;
  done: number;
  total: number;
  elapsedMs: number;
}

const number = (n: number) => Math.round(n).toLocaleString("en-US");

function duration(seconds: number): string {
  if (!Number.isFinite(seconds)) return "?";
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

function rates(state: ProgressState) {
  const rate = state.elapsedMs > 0 ? (state.done * 1000) / state.elapsedMs : 0;
  const eta = rate > 0 ? (state.total - state.done) / rate : Number.POSITIVE_INFINITY;
  const percent = state.total > 0 ? Math.min(100, (state.done * 100) / state.total) : 100;
  return { rate, eta, percent };
}

export function formatBar(state: ProgressState, width = 24): string {
  const { rate, eta, percent } = rates(state);
  const filled = Math.round((percent / 100) * width);
  const bar = "#".repeat(filled) + "-".repeat(width - filled);
  return `${state.phase.padEnd(11)} [${bar}] ${percent.toFixed(0).padStart(3)}% ${number(state.done)}/${number(state.total)} rows  ${number(rate)} rows/s  ETA ${duration(eta)}`;
}

export function formatLine(state: ProgressState): string {
  const { rate, eta, percent } = rates(state);
  return `import:drf: ${state.phase} ${state.done}/${state.total} rows (${percent.toFixed(0)}%), ${number(rate)} rows/s, ETA ${duration(eta)}`;
}

export interface Progress {
  /** `rows` more rows handled, now in `phase`. */
  advance(rows: number, phase: string): void;
  finish(): void;
}

export function createProgress(total: number, out: { isTTY?: boolean; write(text: string): unknown }): Progress {
  const started = performance.now();
  const tty = Boolean(out.isTTY);
  const everyMs = tty ? 100 : 2_000;
  let last = Number.NEGATIVE_INFINITY;
  const state: ProgressState = { phase: "users", done: 0, total, elapsedMs: 0 };
  const draw = () => {
    state.elapsedMs = performance.now() - started;
    out.write(tty ? `\r\x1b[K${formatBar(state)}` : `${formatLine(state)}\n`);
  };
  return {
    advance(rows, phase) {
      state.done += rows;
      state.phase = phase;
      if (performance.now() - last >= everyMs) {
        last = performance.now();
        draw();
      }
    },
    finish() {
      draw();
      if (tty) out.write("\n");
    },
  };
}
