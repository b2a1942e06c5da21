import Link from "next/link";

export default function NotFound() {
  return (
    <div className="page narrow center">
      <h1>Page not found</h1>
      <p className="muted">This teacher or page does not exist, or is no longer public.</p>
      <Link href="/" className="button">
        Browse teachers
      </Link>
    </div>
  );
}
