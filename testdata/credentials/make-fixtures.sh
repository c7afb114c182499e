#!/bin/sh
# Generates the credential test sets ONCE with the system openssl (3.0.x). The outputs are committed; tests
# never run this script. Re-running it makes new keys, so every expected file changes with it.
# Usage: sh make-fixtures.sh [all|cases]   (from testdata/credentials)
#   all   (default) every set; cases: only the second-pass sets under cases/ (they reuse issuers/)
set -eu
PART=${1:-all}
cd "$(dirname "$0")"
ROOTS=public-roots
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT

# A tiny `openssl ca` setup so every certificate gets exact, reproducible validity dates.
mkca() { # mkca NAME
  mkdir -p "$W/$1"; : > "$W/$1/index.txt"; echo 1000 > "$W/$1/serial"
  cat > "$W/$1/ca.cnf" <<CNF
[ ca ]
default_ca = this
[ this ]
dir = $W/$1
database = \$dir/index.txt
serial = \$dir/serial
new_certs_dir = \$dir
policy = anything
unique_subject = no
copy_extensions = none
[ anything ]
commonName = optional
organizationalUnitName = optional
organizationName = optional
countryName = optional
localityName = optional
stateOrProvinceName = optional
[ root ]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
[ device ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ serveronly ]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[ intermediate ]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign, digitalSignature
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
}

# selfsign KEY SUBJ START END MD OUT
selfsign() {
  openssl req -new -key "$1" -subj "$2" -out "$W/req.csr"
  mkca self
  openssl ca -batch -config "$W/self/ca.cnf" -selfsign -keyfile "$1" -in "$W/req.csr" -startdate "$3" \
    -enddate "$4" -md "$5" -extensions root -notext -preserveDN -out "$6" 2>/dev/null
}

# sign CA_CERT CA_KEY DEVICE_KEY SUBJ START END MD OUT_PEM [EXTENSIONS]
sign() {
  openssl req -new -key "$3" -subj "$4" -out "$W/req.csr"
  mkca dev
  openssl ca -batch -config "$W/dev/ca.cnf" -cert "$1" -keyfile "$2" -in "$W/req.csr" -startdate "$5" \
    -enddate "$6" -md "$7" -extensions "${9:-device}" -notext -preserveDN -out "$8" 2>/dev/null
}

rsakey() { openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:"$1" -out "$2" 2>/dev/null; }
der() { openssl x509 -in "$1" -outform DER -out "$2"; }
rsader() { openssl rsa -in "$1" -outform DER -traditional -out "$2" 2>/dev/null; }

START=20200101000000Z
END=20991231235959Z
# The real AWS issuer is ONE 67-character OU ("Amazon Web Services O=Amazon.com Inc. L=Seattle ST=Washington
# C=US"); openssl req refuses OUs over 64 characters, so the stand-in splits it into separate attributes.
AWS_ISSUER="/C=US/ST=Washington/L=Seattle/O=Amazon.com Inc./OU=Amazon Web Services"
DEVICE_SUBJ="/CN=AWS IoT Certificate"

if [ "$PART" = all ]; then
# --- issuers: test CAs that sign device certificates (never shipped to a board) ----------------------------
mkdir -p issuers
rsakey 2048 issuers/aws-standin-ca.key.pem
selfsign issuers/aws-standin-ca.key.pem "$AWS_ISSUER" $START $END sha256 issuers/aws-standin-ca.pem
rsakey 1024 issuers/rsa1024-ca.key.pem
selfsign issuers/rsa1024-ca.key.pem "/CN=Test Broker CA RSA-1024" $START $END sha256 issuers/rsa1024-ca.pem
CA=issuers/aws-standin-ca.pem; CAKEY=issuers/aws-standin-ca.key.pem

# --- good-aws: RSA-2048 device cert + PKCS#1 DER key + the real Amazon Root CA 1 ------------------------------
mkdir -p good-aws
rsakey 2048 "$W/good.key"
sign $CA $CAKEY "$W/good.key" "$DEVICE_SUBJ" $START $END sha256 "$W/good.pem"
der "$W/good.pem" good-aws/cert.der; rsader "$W/good.key" good-aws/private.der
cp $ROOTS/Amazon_Root_CA_1.pem good-aws/AmazonRootCA1.pem

# --- good-pem-crlf: the same kind of set as PEM files with Windows line endings -------------------------------
mkdir -p good-pem-crlf
sed 's/$/\r/' "$W/good.pem" > good-pem-crlf/cert.pem.crt
openssl rsa -in "$W/good.key" -traditional 2>/dev/null | sed 's/$/\r/' > good-pem-crlf/private.pem.key
sed 's/$/\r/' $ROOTS/Amazon_Root_CA_1.pem > good-pem-crlf/AmazonRootCA1.pem

# --- good-ec: P-256 device key (SEC1 DER) + Amazon Root CA 3 (EC) ------------------------------------------
mkdir -p good-ec
openssl ecparam -name prime256v1 -genkey -noout -out "$W/ec.key"
sign $CA $CAKEY "$W/ec.key" "$DEVICE_SUBJ" $START $END sha256 "$W/ec.pem"
der "$W/ec.pem" good-ec/cert.der; openssl ec -in "$W/ec.key" -outform DER -out good-ec/private.der 2>/dev/null
cp $ROOTS/Amazon_Root_CA_3.pem good-ec/AmazonRootCA3.pem

# --- rsa1024-ca: the server CA shipped to the board is RSA-1024 (BAD_KEY under mbedTLS) ----------------------
mkdir -p rsa1024-ca
cp issuers/rsa1024-ca.pem rsa1024-ca/ca.pem
rsakey 2048 "$W/r1.key"
sign issuers/rsa1024-ca.pem issuers/rsa1024-ca.key.pem "$W/r1.key" "/CN=device-rsa1024-ca" $START $END sha256 "$W/r1.pem"
der "$W/r1.pem" rsa1024-ca/cert.der; rsader "$W/r1.key" rsa1024-ca/private.der

# --- sha1-signature: device certificate signed with sha1WithRSAEncryption -----------------------------------
mkdir -p sha1-signature
rsakey 2048 "$W/s1.key"
sign $CA $CAKEY "$W/s1.key" "$DEVICE_SUBJ" $START $END sha1 "$W/s1.pem"
der "$W/s1.pem" sha1-signature/cert.der; rsader "$W/s1.key" sha1-signature/private.der
cp $ROOTS/Amazon_Root_CA_1.pem sha1-signature/AmazonRootCA1.pem

# --- expired: valid 2020-01-01 .. 2021-01-01 ----------------------------------------------------------------
mkdir -p expired
rsakey 2048 "$W/ex.key"
sign $CA $CAKEY "$W/ex.key" "$DEVICE_SUBJ" $START 20210101000000Z sha256 "$W/ex.pem"
der "$W/ex.pem" expired/cert.der; rsader "$W/ex.key" expired/private.der
cp $ROOTS/Amazon_Root_CA_1.pem expired/AmazonRootCA1.pem

# --- not-yet-valid: notBefore 2090-01-01 --------------------------------------------------------------------
mkdir -p not-yet-valid
rsakey 2048 "$W/ny.key"
sign $CA $CAKEY "$W/ny.key" "$DEVICE_SUBJ" 20900101000000Z $END sha256 "$W/ny.pem"
der "$W/ny.pem" not-yet-valid/cert.der; rsader "$W/ny.key" not-yet-valid/private.der
cp $ROOTS/Amazon_Root_CA_1.pem not-yet-valid/AmazonRootCA1.pem

# --- mismatched-key: the good certificate with another thing's key -----------------------------------------
mkdir -p mismatched-key
rsakey 2048 "$W/other.key"
cp good-aws/cert.der mismatched-key/cert.der; rsader "$W/other.key" mismatched-key/private.der
cp $ROOTS/Amazon_Root_CA_1.pem mismatched-key/AmazonRootCA1.pem

# --- two-certs-der: device + issuer concatenated into one DER file -----------------------------------------
mkdir -p two-certs-der
der $CA "$W/ca.der"
cat good-aws/cert.der "$W/ca.der" > two-certs-der/cert.der
cp good-aws/private.der two-certs-der/private.der
cp $ROOTS/Amazon_Root_CA_1.pem two-certs-der/AmazonRootCA1.pem

# --- trailing-garbage: a DER certificate with 16 stray bytes after it --------------------------------------
mkdir -p trailing-garbage
{ cat good-aws/cert.der; printf '0123456789ABCDEF'; } > trailing-garbage/cert.der
cp good-aws/private.der trailing-garbage/private.der

# --- encrypted-key: traditional PEM with Proc-Type, PKCS#8 PEM and PKCS#8 DER, passphrase "test" -----------
mkdir -p encrypted-key
cp good-aws/cert.der encrypted-key/cert.der
openssl rsa -in "$W/good.key" -traditional -aes256 -passout pass:test -out encrypted-key/private.pem.key 2>/dev/null
openssl pkcs8 -topk8 -in "$W/good.key" -v2 aes256 -passout pass:test -out encrypted-key/private-pkcs8.pem
openssl pkcs8 -topk8 -in "$W/good.key" -v2 aes256 -passout pass:test -outform DER -out encrypted-key/private-pkcs8.der

# --- legacy-root: the real VeriSign Class 3 G5 root as the CA file ----------------------------------------
mkdir -p legacy-root
cp good-aws/cert.der legacy-root/cert.der; cp good-aws/private.der legacy-root/private.der
# VeriSign-Class3-G5.pem is the public root itself (not generated): see README.md.

# --- long-name: the AWS download name of the certificate is 40 bytes ---------------------------------------
mkdir -p long-name
cp "$W/good.pem" long-name/a1b2c3d4e5f6a7b8c9d0-certificate.pem.crt
openssl rsa -in "$W/good.key" -traditional -out long-name/private.pem.key 2>/dev/null
cp $ROOTS/Amazon_Root_CA_1.pem long-name/AmazonRootCA1.pem

# --- secp256k1: a curve neither mbedTLS 3's default profile nor BearSSL accepts ----------------------------
mkdir -p secp256k1
openssl ecparam -name secp256k1 -genkey -noout -out "$W/k1.key"
sign $CA $CAKEY "$W/k1.key" "$DEVICE_SUBJ" $START $END sha256 "$W/k1.pem"
der "$W/k1.pem" secp256k1/cert.der; openssl ec -in "$W/k1.key" -outform DER -out secp256k1/private.der 2>/dev/null
cp $ROOTS/Amazon_Root_CA_1.pem secp256k1/AmazonRootCA1.pem

# --- conversion: inputs and what openssl writes for them ---------------------------------------------------
C=conversion; mkdir -p $C
cp "$W/good.pem" $C/cert.pem
openssl rsa -in "$W/good.key" -traditional -out $C/rsa-pkcs1.pem 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in "$W/good.key" -out $C/rsa-pkcs8.pem
cp "$W/ec.key" $C/ec-sec1.pem
openssl pkcs8 -topk8 -nocrypt -in "$W/ec.key" -out $C/ec-pkcs8.pem
openssl x509 -in $C/cert.pem -outform DER -out $C/expected-cert.der
openssl rsa -in $C/rsa-pkcs1.pem -outform DER -traditional -out $C/expected-rsa-pkcs1-from-pkcs1.der 2>/dev/null
openssl rsa -in $C/rsa-pkcs8.pem -outform DER -traditional -out $C/expected-rsa-pkcs1-from-pkcs8.der 2>/dev/null
openssl rsa -in $C/rsa-pkcs8.pem -outform DER -out $C/expected-rsa-openssl3-default.der 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in $C/rsa-pkcs1.pem -outform DER -out $C/expected-rsa-pkcs8.der
openssl ec -in $C/ec-sec1.pem -outform DER -out $C/expected-ec-sec1-from-sec1.der 2>/dev/null
openssl ec -in $C/ec-pkcs8.pem -outform DER -out $C/expected-ec-sec1-from-pkcs8.der 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -in $C/ec-sec1.pem -outform DER -out $C/expected-ec-pkcs8.der
# DER -> PEM
openssl x509 -inform DER -in $C/expected-cert.der -out $C/expected-cert-from-der.pem
openssl rsa -inform DER -in $C/expected-rsa-pkcs1-from-pkcs1.der -traditional -out $C/expected-rsa-pkcs1-from-der.pem 2>/dev/null
openssl ec -inform DER -in $C/expected-ec-sec1-from-sec1.der -out $C/expected-ec-sec1-from-der.pem 2>/dev/null
openssl pkcs8 -topk8 -nocrypt -inform DER -in $C/expected-rsa-pkcs1-from-pkcs1.der -out $C/expected-rsa-pkcs8-from-der.pem
fi

. ./make-cases.sh
echo done
