import type { Metadata } from "next";
import { AdminTeachers } from "../../_components/AdminTeachers";

export const metadata: Metadata = { title: "Teachers" };

/** The back office's teacher desk; the data loads in the browser with the admin's session. */
export default function AdminTeachersPage() {
  return (
    <>
      <h1>Teachers</h1>
      <AdminTeachers />
    </>
  );
}
