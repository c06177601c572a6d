import { openApiDocument, openApiText } from '@funnel/platform';
import { STANDALONE_OPENAPI } from '../standalone.module';

/** Where the document of every endpoint is committed, relative to the repository root. */
export const OPENAPI_FILE = 'openapi.json';

/** The committed file's exact text: embedded mode serves every endpoint. */
export const committedOpenApiText = () => openApiText(openApiDocument(STANDALONE_OPENAPI));
