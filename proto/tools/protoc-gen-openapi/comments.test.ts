import { sentencesOf, summaryOf, toDescription } from "./comments.ts";

// A leading comment as protoc hands it over: each line keeps the space after "//".
const REGISTER = ` Creates an account and logs it in; mails a 6-digit verification code to the address. Public.
 Usernames and addresses are unique case-insensitively; registrations are counted per client address.
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
