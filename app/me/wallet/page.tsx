import type { Metadata } from "next";
import { StudentAreaGate } from "../../_components/StudentAreaGate";
import { WalletView } from "../../_components/WalletView";

export const metadata: Metadata = { title: "Your wallet" };

/** The student's wallet: balance, top-up through the gateway, statement with CSV export. */
export default function WalletPage() {
  return (
    <div className="page">
      <h1>Your wallet</h1>
      <StudentAreaGate
        path="/me/wallet"
        purpose="see your wallet"
        forbidden="The wallet is for students: it holds money for lessons and refunds."
      >
        <WalletView />
      </StudentAreaGate>
    </div>
  );
}
