// Turns proto comments into OpenAPI text. What an RPC answers is not read from its comment: the errors and
// the other success statuses are structured options of the contract (identity.api.v1.policy).

/** A leading comment as Markdown: lines of a paragraph joined by spaces, blank lines kept as breaks. */
export function toDescription(comment: string | undefined): string {
  if (!comment) return "";
  const paragraphs: string[] = [];
  let current: string[] = [];
  for (const raw of comment.split("\n")) {
    const line = raw.trim();
    if (line === "") {
      if (current.length > 0) paragraphs.push(current.join(" "));
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) paragraphs.push(current.join(" "));
  return paragraphs.join("\n\n");
}

/** The sentences of a description, each with its closing period. */
export function sentencesOf(description: string): string[] {
  return description
    .split(/(?<=[.!?])\s+(?=[A-Z`(])/)
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** The first sentence, without its closing period: a short operation summary. */
export function summaryOf(description: string): string {
  const first = sentencesOf(description)[0] ?? "";
  return first.replace(/[.;:]$/, "");
}
