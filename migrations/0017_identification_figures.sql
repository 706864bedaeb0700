CREATE TABLE "identification_photos" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"content_type" text NOT NULL,
	"data" text NOT NULL,
	"bytes" integer NOT NULL,
	"uploaded_by" uuid,
	"uploaded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "identification_files" ADD COLUMN "notice_fields" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "identification_files" ADD COLUMN "photo_consent_by" text;--> statement-breakpoint
ALTER TABLE "identification_files" ADD COLUMN "photo_consent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "identification_files" ADD COLUMN "photo_consent_recorded_by" uuid;--> statement-breakpoint
ALTER TABLE "identification_files" ADD COLUMN "photo_consent_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "identification_photos" ADD CONSTRAINT "identification_photos_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_photos" ADD CONSTRAINT "identification_photos_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_photos" ADD CONSTRAINT "identification_photos_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_files" ADD CONSTRAINT "identification_files_photo_consent_recorded_by_users_id_fk" FOREIGN KEY ("photo_consent_recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;