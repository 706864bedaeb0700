ALTER TABLE "shelters" ADD COLUMN "opened_at" timestamp with time zone DEFAULT now() NOT NULL;--> statement-breakpoint
ALTER TABLE "shelters" ADD COLUMN "closed_at" timestamp with time zone;