DROP INDEX "positions_vehicle_idx";--> statement-breakpoint
ALTER TABLE "vehicles" ADD COLUMN "position_broadcast_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "assignments" ADD COLUMN "ack_alerted_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "assignment_id" uuid;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_assignment_id_assignments_id_fk" FOREIGN KEY ("assignment_id") REFERENCES "public"."assignments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assignments_status_dispatched_idx" ON "assignments" USING btree ("status","dispatched_at");--> statement-breakpoint
CREATE INDEX "encounters_case_idx" ON "encounters" USING btree ("case_id");--> statement-breakpoint
CREATE INDEX "encounters_sortie_idx" ON "encounters" USING btree ("sortie_id");--> statement-breakpoint
CREATE UNIQUE INDEX "positions_vehicle_recorded_uq" ON "positions" USING btree ("vehicle_id","recorded_at");