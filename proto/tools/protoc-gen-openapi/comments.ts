// Turns proto comments into OpenAPI text, and reads the two conventions the contract's RPC comments
// follow: an "Errors:" sentence naming gRPC codes, and "(NNN, ...)" naming an alternative success status.

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

// How the gateway maps gRPC/Connect codes to HTTP (the REST spec's "Errors" convention).
export const HTTP_STATUS_BY_GRPC_CODE: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  ALREADY_EXISTS: 409,
  ABORTED: 409,
  FAILED_PRECONDITION: 409,
  RESOURCE_EXHAUSTED: 429,
  UNAVAILABLE: 503,
};

/** A gRPC code an "Errors:" sentence names, with what its parentheses say ("USERNAME_TAKEN, EMAIL_TAKEN"). */
export interface ErrorMention {
  code: string;
  detail: string;
}

/** The gRPC codes named after "Errors:" in an RPC comment, in order of first mention. */
export function errorMentionsOf(description: string): ErrorMention[] {
  const at = description.search(/\bErrors:/);
  if (at < 0) return [];
  const mentions: ErrorMention[] = [];
  for (const match of description.slice(at).matchAll(/\b([A-Z][A-Z_]*[A-Z])\b(?:\s*\(([^)]*)\))?/g)) {
    const code = match[1] as string;
    if (!(code in HTTP_STATUS_BY_GRPC_CODE) || mentions.some((m) => m.code === code)) continue;
    mentions.push({ code, detail: (match[2] ?? "").replace(/\s+/g, " ").trim() });
  }
  return mentions;
}

/** The HTTP error statuses an "Errors:" sentence implies, ascending, without duplicates. */
export function errorStatusesOf(description: string): number[] {
  const statuses = new Set(errorMentionsOf(description).map((m) => HTTP_STATUS_BY_GRPC_CODE[m.code] as number));
  return [...statuses].sort((a, b) => a - b);
}

/**
 * Success statuses a comment names as "(201, `requested`)" or "(200)", with the sentence that says when,
 * so that an RPC that can answer two ways documents both.
 */
export function mentionedSuccessStatuses(description: string): Map<number, string> {
  const found = new Map<number, string>();
  for (const sentence of sentencesOf(description)) {
    for (const match of sentence.matchAll(/\((2\d\d)\s*[,)]/g)) {
      const status = Number(match[1]);
      if (!found.has(status)) found.set(status, sentence);
    }
  }
  return found;
}
