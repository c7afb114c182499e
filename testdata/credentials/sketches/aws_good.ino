// Matches testdata/credentials/good-aws: DER files read from SPIFFS into BearSSL objects.
#include <ESP8266WiFi.h>
#include <FS.h>
#include <PubSubClient.h>
#include <time.h>

BearSSL::WiFiClientSecure net;
PubSubClient mqtt(net);

void setup() {
  SPIFFSConfig cfg;
  cfg.setAutoFormat(false);
  SPIFFS.setConfig(cfg);
  if (!SPIFFS.begin()) return;
  configTime(0, 0, "pool.ntp.org");
  while (time(nullptr) < 1600000000) delay(100);
  File c = SPIFFS.open("/cert.der", "r");
  File k = SPIFFS.open("/private.der", "r");
  File a = SPIFFS.open("/AmazonRootCA1.pem", "r");
  static BearSSL::X509List cert(c, c.size());
  static BearSSL::PrivateKey key(k, k.size());
  static BearSSL::X509List ca(a, a.size());
  net.setClientRSACert(&cert, &key);
  net.setTrustAnchors(&ca);
  mqtt.setServer("xxxx-ats.iot.us-east-1.amazonaws.com", 8883);
}

void loop() { mqtt.loop(); }
