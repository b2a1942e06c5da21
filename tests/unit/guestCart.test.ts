import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type CheckoutRequest, checkoutHref } from "../../app/_components/checkoutParams";
import {
  GUEST_CART_LIFETIME_SECONDS,
  openGuestCart,
  sealGuestCart,
} from "../../server/trade/guestCart";

const KEY = Buffer.alloc(32, 1);
const NOW = new Date("2026-03-02T09:00:00.000Z");
const later = (seconds: number) => new Date(NOW.getTime() + seconds * 1000);

const lesson: CheckoutRequest = {
  teacherId: "4194304",
  courseId: "419430400",
  purchase: { kind: "lesson", slots: 2 },
  lesson: { start: new Date("2026-03-04T10:30:00.000Z"), slots: 2 },
  orderId: null,
};

/** A value signed with KEY around any payload, as only a holder of the key could make it. */
function signed(payload: unknown, key = KEY) {
  const body = Buffer.from(JSON.stringify(payload)).toString("base64url");
  const mac = createHmac("sha256", key).update(`v1.${body}`).digest("base64url");
  return `v1.${body}.${mac}`;
}

describe("guest cart cookie", () => {
  it("opens what it sealed: the same checkout, for 24 hours", () => {
    const cart = openGuestCart(sealGuestCart(lesson, KEY, NOW), KEY, later(60));
    expect(cart?.request).toEqual(lesson);
    expect(cart?.href).toBe(checkoutHref(lesson));
    expect(cart?.expiresAt).toEqual(later(GUEST_CART_LIFETIME_SECONDS));
  });

  it("keeps a package without a lesson, and never an order id", () => {
    const hours: CheckoutRequest = {
      ...lesson,
      purchase: { kind: "package", hours: 10 },
      lesson: null,
      orderId: "1234567890123",
    };
    const cart = openGuestCart(sealGuestCart(hours, KEY, NOW), KEY, NOW);
    expect(cart?.request).toEqual({ ...hours, orderId: null });
    expect(cart?.href).not.toContain("order=");
  });

  it("is ignored once expired", () => {
    const value = sealGuestCart(lesson, KEY, NOW);
    expect(openGuestCart(value, KEY, later(GUEST_CART_LIFETIME_SECONDS - 1))).not.toBeNull();
    expect(openGuestCart(value, KEY, later(GUEST_CART_LIFETIME_SECONDS))).toBeNull();
  });

  it("is ignored once its lesson has started", () => {
    const soon = { ...lesson, lesson: { start: later(1800), slots: 2 } };
    const value = sealGuestCart(soon, KEY, NOW);
    expect(openGuestCart(value, KEY, later(1799))).not.toBeNull();
    expect(openGuestCart(value, KEY, later(1800))).toBeNull();
  });

  it("ignores a tampered cookie: payload, signature, version or key", () => {
    const value = sealGuestCart(lesson, KEY, NOW);
    const [version, body, mac] = value.split(".") as [string, string, string];
    const payload = JSON.parse(Buffer.from(body, "base64url").toString());
    const changed = Buffer.from(
      JSON.stringify({ ...payload, params: { ...payload.params, slots: "4" } }),
    ).toString("base64url");
    const flip = (text: string) =>
      `${text.slice(0, -2)}${text.at(-2) === "A" ? "B" : "A"}${text.at(-1)}`;
    for (const tampered of [
      `${version}.${changed}.${mac}`,
      `${version}.${body}.${flip(mac)}`,
      `${version}.${body}.`,
      `v2.${body}.${mac}`,
      `${value}.extra`,
      value.slice(0, -1),
      "",
      "not a cart",
      undefined,
    ]) {
      expect(openGuestCart(tampered, KEY, NOW), String(tampered)).toBeNull();
    }
    expect(openGuestCart(value, Buffer.alloc(32, 2), NOW)).toBeNull();
  });

  it("ignores a correctly signed payload the checkout parser refuses", () => {
    const exp = Math.floor(NOW.getTime() / 1000) + 3600;
    const good = { teacher: "4194304", course: "419430400", package: "10" };
    expect(openGuestCart(signed({ params: good, exp }), KEY, NOW)).not.toBeNull();
    for (const payload of [
      { params: { ...good, package: "1000" }, exp },
      { params: { ...good, start: "2026-03-04T10:15:00.000Z", slots: "2" }, exp },
      { params: { ...good, teacher: "x" }, exp },
      { params: { ...good, order: "1234567890123" }, exp },
      { params: { teacher: "4194304" }, exp },
      { params: good, exp: "soon" },
      { params: good },
      [good],
      "cart",
    ]) {
      expect(openGuestCart(signed(payload), KEY, NOW), JSON.stringify(payload)).toBeNull();
    }
  });
});
