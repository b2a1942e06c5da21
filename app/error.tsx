"use client";

export default function ErrorPage({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <div className="page narrow center" role="alert">
      <h1>Something went wrong</h1>
      <p className="muted">
        We could not show this page right now. Nothing you did was lost.
        {error.digest ? ` (reference ${error.digest})` : ""}
      </p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
