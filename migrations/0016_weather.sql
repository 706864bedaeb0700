CREATE TABLE "cold_rules" (
	"region_id" uuid PRIMARY KEY NOT NULL,
	"rule" jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "weather_proposals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"night" date NOT NULL,
	"region_id" uuid NOT NULL,
	"level" text,
	"reasons" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "weather_readings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"region_id" uuid NOT NULL,
	"night" date NOT NULL,
	"source" text NOT NULL,
	"partner_id" uuid,
	"source_key" text NOT NULL,
	"min_temp_c" double precision NOT NULL,
	"wind_force" integer NOT NULL,
	"feels_like_c" double precision,
	"official_signal" text,
	"recorded_by" uuid,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
ALTER TABLE "cold_rules" ADD CONSTRAINT "cold_rules_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cold_rules" ADD CONSTRAINT "cold_rules_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_proposals" ADD CONSTRAINT "weather_proposals_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_proposals" ADD CONSTRAINT "weather_proposals_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_readings" ADD CONSTRAINT "weather_readings_region_id_regions_id_fk" FOREIGN KEY ("region_id") REFERENCES "public"."regions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_readings" ADD CONSTRAINT "weather_readings_partner_id_partners_id_fk" FOREIGN KEY ("partner_id") REFERENCES "public"."partners"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "weather_readings" ADD CONSTRAINT "weather_readings_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "weather_proposals_station_idx" ON "weather_proposals" USING btree ("station_id","night","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "weather_readings_key_idx" ON "weather_readings" USING btree ("region_id","night","source_key");--> statement-breakpoint
CREATE INDEX "weather_readings_night_idx" ON "weather_readings" USING btree ("night");