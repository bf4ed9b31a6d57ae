-- CreateTable
CREATE TABLE "JobExecution" (
    "id" UUID NOT NULL,
    "queue" TEXT NOT NULL,
    "jobId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "tenantId" UUID,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3) NOT NULL,
    "durationMs" INTEGER NOT NULL,
    "workerId" TEXT NOT NULL,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "JobExecution_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "JobExecution_finishedAt_idx" ON "JobExecution"("finishedAt");

-- CreateIndex
CREATE INDEX "JobExecution_queue_name_startedAt_idx" ON "JobExecution"("queue", "name", "startedAt");

-- CreateIndex
CREATE INDEX "JobExecution_queue_jobId_idx" ON "JobExecution"("queue", "jobId");
