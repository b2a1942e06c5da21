import type { Metadata } from "next";
import { PromotionManager } from "../../_components/PromotionManager";

export const metadata: Metadata = { title: "Promotions" };

/** Platform promotions: create and follow them; the data loads with the admin's session. */
export default function AdminPromotionsPage() {
  return (
    <>
      <h1>Promotions</h1>
      <PromotionManager audience="admin" />
    </>
  );
}
