CREATE TABLE "identification_clues" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"text" text NOT NULL,
	"who" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identification_deadlines" (
	"region_id" uuid PRIMARY KEY NOT NULL,
	"fingerprint_hours" integer NOT NULL,
	"notice_hours" integer NOT NULL,
	"dna_request_months" integer NOT NULL,
	"settle_review_months" integer NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identification_files" (
	"person_id" uuid PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"arrived_at" timestamp with time zone NOT NULL,
	"height_cm" integer,
	"features" text DEFAULT '' NOT NULL,
	"found_place" text DEFAULT '' NOT NULL,
	"found_at" timestamp with time zone,
	"closing" text,
	"closed_at" timestamp with time zone,
	"closing_note" text DEFAULT '' NOT NULL,
	"closed_by" uuid,
	"opened_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "identification_steps" (
	"id" uuid PRIMARY KEY NOT NULL,
	"person_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"channel" text,
	"outcome" text DEFAULT '' NOT NULL,
	"who" text DEFAULT '' NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "match_decisions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"person_id" uuid NOT NULL,
	"list_name" text NOT NULL,
	"row" integer NOT NULL,
	"listed" jsonb NOT NULL,
	"decision" text NOT NULL,
	"score" real NOT NULL,
	"reasons" text[] DEFAULT '{}' NOT NULL,
	"note" text DEFAULT '' NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "identification_clues" ADD CONSTRAINT "identification_clues_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_clues" ADD CONSTRAINT "identification_clues_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_clues" ADD CONSTRAINT "identification_clues_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_deadlines" ADD CONSTRAINT "identification_deadlines_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_files" ADD CONSTRAINT "identification_files_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_files" ADD CONSTRAINT "identification_files_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_files" ADD CONSTRAINT "identification_files_closed_by_users_id_fk" FOREIGN KEY ("closed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_files" ADD CONSTRAINT "identification_files_opened_by_users_id_fk" FOREIGN KEY ("opened_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_steps" ADD CONSTRAINT "identification_steps_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_steps" ADD CONSTRAINT "identification_steps_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "identification_steps" ADD CONSTRAINT "identification_steps_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_decisions" ADD CONSTRAINT "match_decisions_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_decisions" ADD CONSTRAINT "match_decisions_person_id_people_id_fk" FOREIGN KEY ("person_id") REFERENCES "public"."people"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "match_decisions" ADD CONSTRAINT "match_decisions_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "identification_clues_person_idx" ON "identification_clues" USING btree ("person_id","at");--> statement-breakpoint
CREATE INDEX "identification_files_station_idx" ON "identification_files" USING btree ("station_id","closed_at");--> statement-breakpoint
CREATE INDEX "identification_files_closed_idx" ON "identification_files" USING btree ("station_id","closing","closed_at");--> statement-breakpoint
CREATE INDEX "identification_steps_person_idx" ON "identification_steps" USING btree ("person_id","kind");--> statement-breakpoint
CREATE INDEX "match_decisions_person_idx" ON "match_decisions" USING btree ("person_id");--> statement-breakpoint
CREATE UNIQUE INDEX "match_decisions_list_row_person_uq" ON "match_decisions" USING btree ("station_id","list_name","row","person_id");