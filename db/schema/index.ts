export * from "./catalog";
export * from "./identity";
export * from "./inventory";
export * from "./ledger";
export * from "./payment";
export * from "./reconciliation";
export * from "./settlement";
export * from "./trade";
