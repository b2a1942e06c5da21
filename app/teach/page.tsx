import type { Metadata } from "next";
import { TeachApplication } from "../_components/TeachApplication";

export const metadata: Metadata = { title: "Teach on Halfhour" };

/**
 * Public landing for prospective teachers. Static: the application (or its status) loads in
 * the browser with the viewer's session.
 */
export default function TeachPage() {
  return (
    <div className="page narrow">
      <section className="hero">
        <h1>Teach on Halfhour</h1>
        <p className="lead">
          Sell your time half an hour at a time, to students anywhere, in the subjects you know.
        </p>
      </section>
      <section className="card" aria-labelledby="teach-how">
        <h2 id="teach-how">How it works</h2>
        <ol>
          <li>
            Apply below: the name students will see, a headline, your subjects, your experience, the
            hours you plan to teach and a teaching certificate (PDF, PNG or JPEG).
          </li>
          <li>
            An administrator reviews your application. Only you and the administrators ever see your
            certificate.
          </li>
          <li>
            Once approved, your studio page is public and you appear in search. From your dashboard
            you set up courses and prices, publish free half hours and sell lessons.
          </li>
          <li>
            Halfhour collects the payment, keeps a commission and pays you for every completed
            lesson.
          </li>
        </ol>
      </section>
      <TeachApplication />
    </div>
  );
}
