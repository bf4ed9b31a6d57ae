export { createModelRefiner, DEFAULT_MAX_TEXT_CHARS, DEFAULT_RETRIES, DEFAULT_TIMEOUT_MS } from './model-refiner.js';
export type { ModelProviderOptions, ModelRefiner, Refinement } from './model-refiner.js';
export { modelAnswerJsonSchema, modelAnswerSchema } from './answer-schema.js';
export type { ModelAnswer } from './answer-schema.js';
