import type { Metadata } from "next";
import Link from "next/link";
import { ProfileEditor } from "../../_components/ProfileEditor";

export const metadata: Metadata = { title: "Your profile" };

export default function ProfilePage() {
  return (
    <div className="page">
      <p className="small">
        <Link href="/dashboard">← Dashboard</Link>
      </p>
      <h1>Your profile</h1>
      <p className="muted">
        What students see on your studio page. Changes are public as soon as you save.
      </p>
      <ProfileEditor />
    </div>
  );
}
