// What a run did, counted per kind of row: imported now, already there from an earlier run, refused (each
// with its reason and the row it concerns), and notes on rows kept with a change.
import type { NoteKind, RefusalReason } from "./rules.ts";

export type RowKind = "users" | "friendships";

export interface Refusal {
  kind: RowKind;
  legacyId: string;
  /** The username, or `requester -> addressee` for a friendship. */
  label: string;
  reason: RefusalReason;
  detail?: string;
}

export interface Tally {
  imported: Record<RowKind, number>;
  alreadyThere: Record<RowKind, number>;
  refused: Refusal[];
  notes: Partial<Record<NoteKind, number>>;
}

export const newTally = (): Tally => ({
  imported: { users: 0, friendships: 0 },
  alreadyThere: { users: 0, friendships: 0 },
  refused: [],
  notes: {},
});

export function addNote(tally: Tally, note: NoteKind): void {
  tally.notes[note] = (tally.notes[note] ?? 0) + 1;
}

/** At most this many refused rows are listed per reason; all are counted (and all are in --summary-json). */
const LISTED_PER_REASON = 20;

export function formatSummary(tally: Tally, context: { dryRun: boolean; seconds: number; target: string }): string {
  const refusedOf = (kind: RowKind) => tally.refused.filter((r) => r.kind === kind).length;
  const line = (kind: RowKind) =>
    `  ${kind.padEnd(12)} imported ${tally.imported[kind]}, already there ${tally.alreadyThere[kind]}, refused ${refusedOf(kind)}`;
  const out = [
    `import:drf ${context.dryRun ? "dry run (nothing written)" : "done"} in ${context.seconds.toFixed(1)} s, into ${context.target}`,
    line("users"),
    line("friendships"),
  ];
  const byReason = new Map<string, Refusal[]>();
  for (const r of tally.refused) byReason.set(`${r.kind}: ${r.reason}`, [...(byReason.get(`${r.kind}: ${r.reason}`) ?? []), r]);
  if (byReason.size > 0) out.push("refused:");
  for (const [reason, rows] of byReason) {
    out.push(`  ${reason} (${rows.length})`);
    for (const r of rows.slice(0, LISTED_PER_REASON))
      out.push(`    ${r.kind === "users" ? "user" : "friendship"} ${r.legacyId} ${r.label}${r.detail ? ` (${r.detail})` : ""}`);
    if (rows.length > LISTED_PER_REASON) out.push(`    ... and ${rows.length - LISTED_PER_REASON} more`);
  }
  const notes = Object.entries(tally.notes);
  if (notes.length > 0) out.push("kept with a change:");
  for (const [note, count] of notes) out.push(`  ${note}: ${count}`);
  return out.join("\n");
}
