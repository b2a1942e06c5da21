import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Providers } from "./_components/Providers";
import { SiteHeader } from "./_components/SiteHeader";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Halfhour — find a teacher, book half an hour", template: "%s · Halfhour" },
  description: "Teachers sell their time in half-hour slots. Find one, buy lesson hours, book.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <Providers>
          <SiteHeader />
          <main>{children}</main>
          <footer className="site-footer">
            Halfhour · open-source tutoring marketplace · times are shown in your time zone
          </footer>
        </Providers>
      </body>
    </html>
  );
}
