import Avatar from "boring-avatars";

const PALETTE = ["#0f766e", "#14b8a6", "#f59e0b", "#f97316", "#1e293b"];

/** The teacher's photo, or an avatar generated from their id when they have none. */
export function TeacherAvatar(props: {
  id: string;
  name: string;
  photoUrl: string | null;
  size: number;
}) {
  if (props.photoUrl) {
    return (
      // biome-ignore lint/performance/noImgElement: uploads are user content served as-is
      <img
        src={props.photoUrl}
        alt={props.name}
        width={props.size}
        height={props.size}
        className="avatar"
      />
    );
  }
  return (
    <span className="avatar" role="img" aria-label={props.name}>
      <Avatar name={props.id} variant="beam" colors={PALETTE} size={props.size} />
    </span>
  );
}
