# Second-pass credential sets (issue 11): files as users really have them. Sourced by make-fixtures.sh (it
# defines mkca/selfsign/sign/rsakey/der/rsader, $W and $ROOTS); run `sh make-fixtures.sh cases` to make only
# these. Expected findings per target: expectations.tsv; what each set is: README.md.
CA=issuers/aws-standin-ca.pem; CAKEY=issuers/aws-standin-ca.key.pem
S=20200101000000Z
# Before 2050, so notAfter is a UTCTime and the axTLS 2050 warning does not apply to the good sets.
E=20491231235959Z
DEV="/CN=AWS IoT Certificate"
K=cases
rm -rf $K; mkdir -p $K

# Broker PKI for a non-AWS endpoint: root -> intermediate -> device certificates.
rsakey 2048 issuers/broker-root.key.pem
selfsign issuers/broker-root.key.pem "/O=Test Broker/CN=Test Broker Root CA" $S $E sha256 issuers/broker-root.pem
rsakey 2048 issuers/broker-intermediate.key.pem
sign issuers/broker-root.pem issuers/broker-root.key.pem issuers/broker-intermediate.key.pem \
  "/O=Test Broker/CN=Test Broker Intermediate CA" $S $E sha256 issuers/broker-intermediate.pem intermediate
BI=issuers/broker-intermediate.pem; BIKEY=issuers/broker-intermediate.key.pem

# One RSA-2048 device for the AWS-shaped sets, one for the broker sets.
rsakey 2048 "$W/d.key"; sign $CA $CAKEY "$W/d.key" "$DEV" $S $E sha256 "$W/d.pem"
openssl rsa -in "$W/d.key" -traditional -out "$W/d.pkcs1.pem" 2>/dev/null
rsakey 2048 "$W/b.key"; sign $BI $BIKEY "$W/b.key" "/CN=broker-device-01" $S $E sha256 "$W/b.pem"
openssl rsa -in "$W/b.key" -traditional -out "$W/b.pkcs1.pem" 2>/dev/null
der $ROOTS/Amazon_Root_CA_1.pem "$W/root1.der"
awsset() { # awsset DIR: PEM device cert, PKCS#1 PEM key, Amazon Root CA 1 (what the AWS console downloads)
  mkdir -p $K/$1; cp "$W/d.pem" $K/$1/cert.pem.crt; cp "$W/d.pkcs1.pem" $K/$1/private.pem.key
  cp $ROOTS/Amazon_Root_CA_1.pem $K/$1/AmazonRootCA1.pem
}
derset() { # derset DIR: the tutorial DER set (cert.der, PKCS#1 private.der, AmazonRootCA1.der)
  mkdir -p $K/$1; der "$W/d.pem" $K/$1/cert.der; rsader "$W/d.key" $K/$1/private.der; cp "$W/root1.der" $K/$1/AmazonRootCA1.der
}
brokerset() { # brokerset DIR: device + intermediate chain, key, broker root
  mkdir -p $K/$1; cat "$W/b.pem" $BI > $K/$1/cert.pem; cp "$W/b.pkcs1.pem" $K/$1/private.key
  cp issuers/broker-root.pem $K/$1/ca.pem
}

# --- sets every stack that reads their encoding accepts ------------------------------------------------------
derset good-der
awsset good-pem
brokerset good-broker-chain
awsset text-before-block; openssl x509 -in "$W/d.pem" -text > $K/text-before-block/cert.pem.crt
awsset two-keys-first-match; rsakey 2048 "$W/o.key"; openssl rsa -in "$W/o.key" -traditional -out "$W/o.pem" 2>/dev/null
cat "$W/d.pkcs1.pem" "$W/o.pem" > $K/two-keys-first-match/private.pem.key
# ESP-IDF EC set: `openssl ecparam -genkey` without -noout writes an EC PARAMETERS block before the key.
mkdir -p $K/ec-parameters; openssl ecparam -name prime256v1 -genkey -out $K/ec-parameters/private.pem.key
sign $CA $CAKEY $K/ec-parameters/private.pem.key "$DEV" $S $E sha256 $K/ec-parameters/cert.pem.crt
cp $ROOTS/Amazon_Root_CA_1.pem $K/ec-parameters/AmazonRootCA1.pem
# OpenSSL 3's `openssl rsa -outform DER` writes PKCS#8 (fine for BearSSL and mbedTLS, not for axTLS).
derset pkcs8-der-key; openssl rsa -in "$W/d.key" -outform DER -out $K/pkcs8-der-key/private.der 2>/dev/null
mkdir -p $K/p384-device; openssl ecparam -name secp384r1 -genkey -noout -out $K/p384-device/private.pem.key
sign $CA $CAKEY $K/p384-device/private.pem.key "$DEV" $S $E sha256 $K/p384-device/cert.pem.crt
cp $ROOTS/Amazon_Root_CA_1.pem $K/p384-device/AmazonRootCA1.pem
awsset bom; { printf '\357\273\277'; cat "$W/d.pem"; } > $K/bom/cert.pem.crt

# --- text as it arrives -------------------------------------------------------------------------------------
awsset indented; sed 's/^/    /' "$W/d.pem" > $K/indented/cert.pem.crt
awsset literal-newlines; sed ':a;N;$!ba;s/\n/\\n/g' "$W/d.pem" > $K/literal-newlines/cert.pem.crt
awsset truncated-base64; { head -n -4 "$W/d.pem"; tail -n 1 "$W/d.pem"; } > $K/truncated-base64/cert.pem.crt
awsset missing-end; head -n -1 "$W/d.pem" > $K/missing-end/cert.pem.crt
derset der-trailing-newline; printf '\n' >> $K/der-trailing-newline/cert.der

# --- roles --------------------------------------------------------------------------------------------------
awsset swapped-pem; cp "$W/d.pkcs1.pem" $K/swapped-pem/cert.pem.crt; cp "$W/d.pem" $K/swapped-pem/private.pem.key
derset swapped-der; rsader "$W/d.key" $K/swapped-der/cert.der; der "$W/d.pem" $K/swapped-der/private.der
awsset ca-is-device; cp "$W/d.pem" $K/ca-is-device/AmazonRootCA1.pem
brokerset chain-wrong-order; cat $BI "$W/b.pem" > $K/chain-wrong-order/cert.pem
awsset public-key-as-key; openssl pkey -in "$W/d.key" -pubout -out $K/public-key-as-key/private.pem.key
awsset csr-as-cert; openssl req -new -key "$W/d.key" -subj "$DEV" -out $K/csr-as-cert/cert.pem.crt
# One flipped byte inside the private exponent: still DER, no longer an RSA key (d·e ≢ 1).
derset corrupt-key; printf '\377' | dd of=$K/corrupt-key/private.der bs=1 seek=400 conv=notrunc 2>/dev/null
brokerset intermediate-only; cp $BI $K/intermediate-only/ca.pem
brokerset server-auth-only; sign $BI $BIKEY "$W/b.key" "/CN=broker-device-01" $S $E sha256 "$W/sa.pem" serveronly
cat "$W/sa.pem" $BI > $K/server-auth-only/cert.pem
mkdir -p $K/aws-root-only; cp $ROOTS/Amazon_Root_CA_1.pem $K/aws-root-only/AmazonRootCA1.pem
awsset two-keys-first-wrong; cat "$W/o.pem" "$W/d.pkcs1.pem" > $K/two-keys-first-wrong/private.pem.key

# --- keys and algorithms per stack --------------------------------------------------------------------------
awsset pkcs8-in-rsa-header
openssl pkcs8 -topk8 -nocrypt -in "$W/d.key" | sed 's/PRIVATE KEY-----/RSA PRIVATE KEY-----/' > $K/pkcs8-in-rsa-header/private.pem.key
awsset rsa-pss; openssl genpkey -algorithm RSA-PSS -pkeyopt rsa_keygen_bits:2048 -out $K/rsa-pss/private.pem.key 2>/dev/null
sign $CA $CAKEY $K/rsa-pss/private.pem.key "$DEV" $S $E sha256 $K/rsa-pss/cert.pem.crt
awsset ed25519; openssl genpkey -algorithm ED25519 -out $K/ed25519/private.pem.key
sign $CA $CAKEY $K/ed25519/private.pem.key "$DEV" $S $E sha256 $K/ed25519/cert.pem.crt
brokerset rsa1024-device; rsakey 1024 "$W/r1k.key"; openssl rsa -in "$W/r1k.key" -traditional -out $K/rsa1024-device/private.key 2>/dev/null
sign $BI $BIKEY "$W/r1k.key" "/CN=broker-device-rsa1024" $S $E sha256 "$W/r1k.pem"; cat "$W/r1k.pem" $BI > $K/rsa1024-device/cert.pem
brokerset rsa8192-ca; rsakey 8192 "$W/r8k.key"
selfsign "$W/r8k.key" "/O=Test Broker/CN=Test Broker Root CA RSA-8192" $S $E sha256 $K/rsa8192-ca/ca.pem

# --- PKCS#12 bundles (passphrase "test") --------------------------------------------------------------------
mkdir -p $K/pkcs12; cp $ROOTS/Amazon_Root_CA_1.pem $K/pkcs12/AmazonRootCA1.pem
openssl pkcs12 -export -in "$W/d.pem" -inkey "$W/d.key" -passout pass:test -out $K/pkcs12/device.pfx
cp $K/pkcs12/device.pfx $K/pkcs12/device.p12
