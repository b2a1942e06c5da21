/**
 * Halfhour settles in one currency; course versions record it so orders keep what was sold
 * if a deployment ever changes it.
 */
export const PLATFORM_CURRENCY = "USD";
