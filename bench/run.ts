/**
 * `npm run bench -- <name>`: runs one benchmark. Each is loaded on demand so a benchmark's
 * setup (databases, pools) only happens when it is asked for.
 */
const benches: Record<string, () => Promise<void>> = {
  booking: async () => (await import("./booking")).runBookingBench(),
  coupon: async () => {
    const { runCouponBench } = await import("./coupon");
    const { measurePriceP99 } = await import("./couponPrice");
    await runCouponBench({ measurePriceP99 });
  },
  inventory: async () => (await import("./inventory")).runInventoryBench(),
  payment: async () => (await import("./payment")).runPaymentBench(),
  ratelimit: async () => (await import("./rateLimit")).runRateLimitBench(),
  read: async () => (await import("./read")).runReadBench(),
};

const requested = process.argv[2];
const bench = requested ? benches[requested] : undefined;
if (!bench) {
  console.error(`usage: npm run bench -- <${Object.keys(benches).join("|")}>`);
  process.exit(2);
}
try {
  await bench();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}

export {};
