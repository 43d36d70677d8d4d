// kafkajs ships no types for its internal modules; kafkajs-idle-loop.ts patches this one method.
declare module "kafkajs/src/network/requestQueue/index.js" {
  export default class RequestQueue {
    scheduleCheckPendingRequests(): void;
  }
}
