CREATE TABLE "places" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"station_id" uuid NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"lat" double precision NOT NULL,
	"lng" double precision NOT NULL,
	"search" text NOT NULL
);
--> statement-breakpoint
ALTER TABLE "daily_report_amendments" ADD COLUMN "text" jsonb;--> statement-breakpoint
ALTER TABLE "places" ADD CONSTRAINT "places_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "places_station_idx" ON "places" USING btree ("station_id");