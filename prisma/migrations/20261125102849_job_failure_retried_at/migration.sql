-- AlterTable
ALTER TABLE "JobFailure" ADD COLUMN     "retriedAt" TIMESTAMP(3);
