// An axTLS-era sketch: removed loaders, no clock, insecure, shrunken buffers, a file that is not shipped.
#include <ESP8266WiFi.h>
#include <FS.h>
#include <PubSubClient.h>

WiFiClientSecure espClient;
PubSubClient client(espClient);

void setup() {
  SPIFFS.begin();
  File cert = SPIFFS.open("/cert.der", "r");
  File key = SPIFFS.open("/private.der", "r");
  File ca = SPIFFS.open("/ca.der", "r");   /* not in good-aws */
  espClient.loadCertificate(cert);
  espClient.loadPrivateKey(key);
  espClient.loadCACert(ca);
  espClient.setBufferSizes(512, 512);
  // espClient.setFingerprint(fp);  -- commented out, must not count
  espClient.setInsecure();
  client.setServer("xxxx-ats.iot.us-east-1.amazonaws.com", 8883);
}

void loop() { client.loop(); }
