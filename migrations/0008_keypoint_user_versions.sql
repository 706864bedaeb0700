ALTER TABLE "users" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "key_points" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;