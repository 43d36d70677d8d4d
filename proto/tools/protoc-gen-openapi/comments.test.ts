import { errorMentionsOf, errorStatusesOf, mentionedSuccessStatuses, sentencesOf, summaryOf, toDescription } from "./comments.ts";

// A leading comment as protoc hands it over: each line keeps the space after "//".
const REGISTER = ` Creates an account and logs it in; mails a 6-digit verification code to the address.
 Public. Errors: INVALID_ARGUMENT (bad or weak input, PASSWORD_TOO_COMMON), ALREADY_EXISTS
 (USERNAME_TAKEN, EMAIL_TAKEN, case-insensitive), RESOURCE_EXHAUSTED (RATE_LIMITED, per client address).
`;

describe("toDescription", () => {
  test("joins the lines of a paragraph and keeps paragraph breaks", () => {
    expect(toDescription(" First line\n second line.\n\n Next paragraph.\n")).toBe("First line second line.\n\nNext paragraph.");
  });
  test("is empty for no comment", () => {
    expect(toDescription(undefined)).toBe("");
    expect(toDescription("  \n ")).toBe("");
  });
});

describe("sentences and summary", () => {
  test("the summary is the first sentence without its period", () => {
    expect(summaryOf(toDescription(REGISTER))).toBe("Creates an account and logs it in; mails a 6-digit verification code to the address");
  });
  test("a sentence may start with a backtick or a parenthesis", () => {
    expect(sentencesOf("One. `two` is code. (Three.)")).toEqual(["One.", "`two` is code.", "(Three.)"]);
  });
});

describe("errorMentionsOf", () => {
  test("reads each gRPC code after 'Errors:' with what its parentheses say, across line breaks", () => {
    expect(errorMentionsOf(toDescription(REGISTER))).toEqual([
      { code: "INVALID_ARGUMENT", detail: "bad or weak input, PASSWORD_TOO_COMMON" },
      { code: "ALREADY_EXISTS", detail: "USERNAME_TAKEN, EMAIL_TAKEN, case-insensitive" },
      { code: "RESOURCE_EXHAUSTED", detail: "RATE_LIMITED, per client address" },
    ]);
  });
  test("ignores codes before 'Errors:' and reasons that are not gRPC codes", () => {
    expect(errorMentionsOf("Returns NOT_FOUND never. Errors: UNAUTHENTICATED, TOKEN_NOT_VALID.")).toEqual([
      { code: "UNAUTHENTICATED", detail: "" },
    ]);
  });
  test("no 'Errors:' sentence, or 'No errors.', names nothing", () => {
    expect(errorMentionsOf("Public. No errors.")).toEqual([]);
    expect(errorMentionsOf("INVALID_ARGUMENT")).toEqual([]);
  });
});

describe("errorStatusesOf", () => {
  test("maps codes to HTTP statuses, ascending and without duplicates", () => {
    expect(errorStatusesOf("Errors: FAILED_PRECONDITION, ALREADY_EXISTS, PERMISSION_DENIED, NOT_FOUND.")).toEqual([403, 404, 409]);
    expect(errorStatusesOf(toDescription(REGISTER))).toEqual([400, 409, 429]);
    expect(errorStatusesOf("Errors: UNAVAILABLE, ABORTED.")).toEqual([409, 503]);
  });
});

describe("mentionedSuccessStatuses", () => {
  test("finds '(201, ...)' and '(200, ...)' with the sentence that says when", () => {
    const found = mentionedSuccessStatuses(
      "Asks to be friends (201, `requested`). If the addressee already asked, that request is accepted instead (200, `accepted`).",
    );
    expect([...found.keys()]).toEqual([201, 200]);
    expect(found.get(200)).toBe("If the addressee already asked, that request is accepted instead (200, `accepted`).");
  });
  test("ignores numbers that are not parenthesised success statuses", () => {
    expect(mentionedSuccessStatuses("At most 200 rows (404 when unknown); up to (250 items).").size).toBe(0);
  });
});
