import { dayKey, formatDay, formatTime } from "./format";

const SLOT_MINUTES = 30;

/**
 * "Mon 24 Nov, 14:30–15:30" in `zone`; a lesson ending after that zone's midnight names the
 * end day too. With `withLength`, " (60 min)" follows.
 */
export function LessonTime(props: {
  start: Date;
  slots: number;
  zone: string;
  withLength?: boolean;
}) {
  const { start, slots, zone } = props;
  const end = new Date(start.getTime() + slots * SLOT_MINUTES * 60_000);
  const endsNextDay = dayKey(new Date(end.getTime() - 1), zone) !== dayKey(start, zone);
  return (
    <>
      <strong>
        {formatDay(start, zone)}, {formatTime(start, zone)}–
        {endsNextDay ? `${formatDay(end, zone)}, ` : ""}
        {formatTime(end, zone)}
      </strong>
      {props.withLength && ` (${slots * SLOT_MINUTES} min)`}
    </>
  );
}
