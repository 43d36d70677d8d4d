// The directory's search: every whitespace-separated term must be the start of a word of the username or
// display name (case-insensitive). Words and lowercasing are the database's (profile_search_words), so the
// same lower() runs on both sides.

export interface SearchPlan {
  /** The term that drives the index scan: the longest, usually the most selective. */
  driving: string;
  /** The other terms, checked per candidate row. */
  others: string[];
}

/** undefined when the search has no terms: the plain directory. */
export function planSearch(search: string): SearchPlan | undefined {
  const terms = [
    ...new Set(
      search
        .trim()
        .split(/\s+/)
        .filter((t) => t !== ""),
    ),
  ];
  if (terms.length === 0) return undefined;
  const driving = terms.reduce((a, b) => (b.length > a.length ? b : a));
  return { driving, others: terms.filter((t) => t !== driving) };
}
