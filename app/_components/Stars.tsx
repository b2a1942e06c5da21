/** "★ 4.7 (23)" with an accessible label. */
export function Stars({ average, count }: { average: number | null; count: number }) {
  if (average === null) return <span className="muted">New teacher</span>;
  return (
    <span
      className="stars"
      role="img"
      aria-label={`Rated ${average} out of 5 from ${count} reviews`}
    >
      <span aria-hidden="true">★</span> {average.toFixed(1)}{" "}
      <span className="muted">({count})</span>
    </span>
  );
}
