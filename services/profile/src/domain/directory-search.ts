// The directory's search text. Matching (lowercase, collapsed whitespace, word starts) is the database's
// profile_search_normalize / profile_search_word_starts, so names and searches go through the same code.

/** The search to run, or undefined when there is none (blank): the plain directory. */
export function searchTextOf(search: string): string | undefined {
  const text = search.trim();
  return text === "" ? undefined : text;
}
