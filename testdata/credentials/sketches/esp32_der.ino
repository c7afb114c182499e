// arduino-esp32: PEM-only setters fed with DER files.
#include <WiFiClientSecure.h>
#include <SPIFFS.h>

WiFiClientSecure net;

void setup() {
  SPIFFS.begin(true);
  configTime(0, 0, "pool.ntp.org");
  File f = SPIFFS.open("/cert.der", "r");
  String cert = f.readString();
  net.setCertificate(cert.c_str());
}

void loop() {}
