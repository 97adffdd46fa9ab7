/**
 * The description of both the action node and its trigger. n8n's node picker lists a trigger under
 * the action node whose name it shares (`<name>Trigger`) and shows the trigger's description for
 * that one entry, which holds the operations and the trigger events alike.
 */
export const VENDOR_DESCRIPTION =
	'E-signatures with EDS, eGov QR, SMS or Adobe Sign through Documentolog (Kazakhstan)';
