// ky's default instance, alone: the REST assistant imports this module on its first request (see
// rest-assistant.ts). Through this module a bundler keeps only what that instance needs; importing
// 'ky' itself lazily would keep every export of ky's namespace (isHTTPError, isKyError, …).
import ky from 'ky'

export default ky
