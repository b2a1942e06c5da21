export default function Loading() {
  return (
    <div className="page" role="status" aria-busy="true" aria-label="Loading">
      <div className="skeleton hero-skeleton" />
      <div className="teacher-grid">
        {Array.from({ length: 6 }, (_, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
          <div key={i} className="skeleton card-skeleton" />
        ))}
      </div>
    </div>
  );
}
