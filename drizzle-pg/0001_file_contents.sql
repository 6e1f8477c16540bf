CREATE TABLE "file_contents" (
	"file_id" text PRIMARY KEY NOT NULL,
	"board_id" text NOT NULL,
	"content" "bytea" NOT NULL
);
--> statement-breakpoint
ALTER TABLE "file_contents" ADD CONSTRAINT "file_contents_board_id_boards_id_fk" FOREIGN KEY ("board_id") REFERENCES "public"."boards"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "file_contents_board_idx" ON "file_contents" USING btree ("board_id");