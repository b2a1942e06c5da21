import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isSnowflakeId } from "@/server/ids/snowflake";
import { CampaignView } from "../../_components/CampaignView";

export const metadata: Metadata = { title: "Coupon" };

/** A public coupon campaign; the page is a shell, the campaign loads in the browser. */
export default async function CampaignPage({ params }: { params: Promise<{ batchId: string }> }) {
  const { batchId } = await params;
  if (!isSnowflakeId(batchId)) notFound();
  return (
    <div className="page">
      <CampaignView batchId={batchId} />
    </div>
  );
}
