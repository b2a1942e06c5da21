import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ratingAverage, reviewerDisplayName } from "../../server/catalog/rating";

describe("ratingAverage", () => {
  it("is null when there are no reviews", () => {
    expect(ratingAverage(0, 0)).toBeNull();
    expect(ratingAverage(5, 0)).toBeNull();
  });

  it("rounds to one decimal", () => {
    expect(ratingAverage(5, 1)).toBe(5);
    expect(ratingAverage(9, 2)).toBe(4.5);
    expect(ratingAverage(14, 3)).toBe(4.7); // 4.666…
    expect(ratingAverage(13, 3)).toBe(4.3); // 4.333…
    expect(ratingAverage(17, 4)).toBe(4.3); // 4.25 rounds half up
    expect(ratingAverage(29, 20)).toBe(1.5); // 1.45 rounds half up
    expect(ratingAverage(389, 100)).toBe(3.9); // 3.89
    expect(ratingAverage(7, 7)).toBe(1);
  });

  it("matches integer half-up rounding for any realistic review set", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 500 }),
        (ratings) => {
          const sum = ratings.reduce((a, b) => a + b, 0);
          const count = ratings.length;
          // round(sum / count, 1 decimal) half up, computed in integers: floor((20 sum + count) / 2 count) / 10
          const want = Math.floor((20 * sum + count) / (2 * count)) / 10;
          const got = ratingAverage(sum, count);
          expect(got).toBe(want);
          expect(got).toBeGreaterThanOrEqual(1);
          expect(got).toBeLessThanOrEqual(5);
        },
      ),
    );
  });
});

describe("reviewerDisplayName", () => {
  it('shows "First L."', () => {
    expect(reviewerDisplayName("Ada Lovelace")).toBe("Ada L.");
    expect(reviewerDisplayName("Grace Brewster Murray Hopper")).toBe("Grace H.");
    expect(reviewerDisplayName("ada lovelace")).toBe("ada L.");
    expect(reviewerDisplayName("Zoë Łukasiewicz")).toBe("Zoë Ł.");
  });

  it("keeps a single name as it is", () => {
    expect(reviewerDisplayName("Plato")).toBe("Plato");
    expect(reviewerDisplayName("  Plato  ")).toBe("Plato");
  });

  it('uses "A student" when there is no name', () => {
    expect(reviewerDisplayName(null)).toBe("A student");
    expect(reviewerDisplayName("")).toBe("A student");
    expect(reviewerDisplayName("   ")).toBe("A student");
    expect(reviewerDisplayName("\t\n")).toBe("A student");
  });

  it("ignores extra whitespace", () => {
    expect(reviewerDisplayName("  Ada    Lovelace  ")).toBe("Ada L.");
    expect(reviewerDisplayName("Ada\tLovelace\n")).toBe("Ada L.");
  });

  it("keeps Chinese names without spaces as they are", () => {
    expect(reviewerDisplayName("王小明")).toBe("王小明");
    expect(reviewerDisplayName(" 李华 ")).toBe("李华");
  });

  it("never shows more than the first name and one initial", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Z][a-z]{1,10}$/),
        fc.array(fc.stringMatching(/^[A-Z][a-z]{1,10}$/), { minLength: 1, maxLength: 3 }),
        (first, rest) => {
          const last = rest.at(-1)!;
          expect(reviewerDisplayName([first, ...rest].join(" "))).toBe(`${first} ${last[0]}.`);
        },
      ),
    );
  });
});
