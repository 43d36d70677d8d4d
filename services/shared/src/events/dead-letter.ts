// Dead letters: a message that cannot be processed is copied, with its CloudEvents headers, to
// `<topic>.dlq`, plus headers saying where it came from and why it failed, so that its partition moves on
// and an operator can inspect and replay it (docs/events.md).
import type { EventMessage, MessageOrigin } from "./event-bus.ts";

export const DEAD_LETTER_SUFFIX = ".dlq";

export function deadLetterTopic(topic: string): string {
  return `${topic}${DEAD_LETTER_SUFFIX}`;
}

export function isDeadLetterTopic(topic: string): boolean {
  return topic.endsWith(DEAD_LETTER_SUFFIX);
}

const MAX_ERROR_LENGTH = 500;

export function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}...` : text;
}

export function toDeadLetter(message: EventMessage, origin: MessageOrigin, group: string, error: unknown): EventMessage {
  return {
    topic: deadLetterTopic(origin.topic),
    key: message.key,
    value: message.value,
    headers: {
      ...message.headers,
      dlq_original_topic: origin.topic,
      dlq_original_partition: String(origin.partition),
      dlq_original_offset: origin.offset,
      dlq_consumer_group: group,
      dlq_error: describeError(error),
      dlq_failed_at: new Date().toISOString(),
    },
  };
}
