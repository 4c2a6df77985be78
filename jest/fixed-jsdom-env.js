// jsdom 16 (the platform's jest 27) has no fetch family; msw 2 and the app runtime's RestAPILink need
// them. Hand Node 20's own implementations to the test environment (the idea of jest-fixed-jsdom,
// which needs jest >= 28).
const JSDOMEnvironment = require('jest-environment-jsdom') // v27 exports the class directly

class FixedJSDOMEnvironment extends JSDOMEnvironment {
    constructor(...args) {
        super(...args)
        Object.assign(this.global, {
            TextDecoder,
            TextEncoder,
            TextDecoderStream,
            TextEncoderStream,
            ReadableStream,
            WritableStream,
            TransformStream,
            Blob,
            Headers,
            FormData,
            Request,
            Response,
            fetch,
            AbortController,
            AbortSignal,
            structuredClone,
            URL,
            URLSearchParams,
            BroadcastChannel,
        })
    }
}

module.exports = FixedJSDOMEnvironment
