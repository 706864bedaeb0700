CREATE TABLE "partners" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"name" text NOT NULL,
	"api_key_hash" text NOT NULL,
	"station_id" uuid,
	"active" boolean DEFAULT true NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "partners_api_key_hash_unique" UNIQUE("api_key_hash")
);
--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "temperature_c" real;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "key_point_id" uuid;--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "intake" text DEFAULT 'created' NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "last_call_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "cases" ADD COLUMN "updated_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "partners" ADD CONSTRAINT "partners_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "calls" ADD CONSTRAINT "calls_key_point_id_key_points_id_fk" FOREIGN KEY ("key_point_id") REFERENCES "public"."key_points"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "calls_partner_idx" ON "calls" USING btree ("partner_id","received_at");--> statement-breakpoint
CREATE INDEX "cases_station_status_last_call_idx" ON "cases" USING btree ("station_id","status","last_call_at");