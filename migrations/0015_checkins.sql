CREATE TABLE "check_in_policies" (
	"campaign_id" uuid PRIMARY KEY NOT NULL,
	"levels" text[] NOT NULL,
	"interval_minutes" integer NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "check_ins" (
	"id" uuid PRIMARY KEY NOT NULL,
	"sortie_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"late" boolean DEFAULT false NOT NULL,
	"created_by" uuid
);
--> statement-breakpoint
CREATE TABLE "crew_alerts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"sortie_id" uuid NOT NULL,
	"station_id" uuid NOT NULL,
	"vehicle_id" uuid NOT NULL,
	"due_at" timestamp with time zone,
	"raised_at" timestamp with time zone NOT NULL,
	"lat" double precision,
	"lng" double precision,
	"position_at" timestamp with time zone,
	"position_source" text,
	"cleared_at" timestamp with time zone,
	"cleared_by_check_in" uuid,
	"acknowledged_at" timestamp with time zone,
	"acknowledged_by" uuid,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sortie_check_ins" (
	"sortie_id" uuid PRIMARY KEY NOT NULL,
	"station_id" uuid NOT NULL,
	"vehicle_id" uuid NOT NULL,
	"required" boolean NOT NULL,
	"level" text,
	"interval_minutes" integer,
	"last_check_in_at" timestamp with time zone,
	"next_due_at" timestamp with time zone,
	"alerted_due_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "check_in_policies" ADD CONSTRAINT "check_in_policies_campaign_id_campaigns_id_fk" FOREIGN KEY ("campaign_id") REFERENCES "public"."campaigns"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_in_policies" ADD CONSTRAINT "check_in_policies_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_sortie_id_sorties_id_fk" FOREIGN KEY ("sortie_id") REFERENCES "public"."sorties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "check_ins" ADD CONSTRAINT "check_ins_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_alerts" ADD CONSTRAINT "crew_alerts_sortie_id_sorties_id_fk" FOREIGN KEY ("sortie_id") REFERENCES "public"."sorties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_alerts" ADD CONSTRAINT "crew_alerts_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_alerts" ADD CONSTRAINT "crew_alerts_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_alerts" ADD CONSTRAINT "crew_alerts_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crew_alerts" ADD CONSTRAINT "crew_alerts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sortie_check_ins" ADD CONSTRAINT "sortie_check_ins_sortie_id_sorties_id_fk" FOREIGN KEY ("sortie_id") REFERENCES "public"."sorties"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sortie_check_ins" ADD CONSTRAINT "sortie_check_ins_station_id_stations_id_fk" FOREIGN KEY ("station_id") REFERENCES "public"."stations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sortie_check_ins" ADD CONSTRAINT "sortie_check_ins_vehicle_id_vehicles_id_fk" FOREIGN KEY ("vehicle_id") REFERENCES "public"."vehicles"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "check_ins_sortie_idx" ON "check_ins" USING btree ("sortie_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "crew_alerts_missed_uq" ON "crew_alerts" USING btree ("sortie_id","due_at");--> statement-breakpoint
CREATE INDEX "crew_alerts_station_open_idx" ON "crew_alerts" USING btree ("station_id","acknowledged_at","cleared_at");--> statement-breakpoint
CREATE INDEX "sortie_check_ins_due_idx" ON "sortie_check_ins" USING btree ("required","next_due_at");