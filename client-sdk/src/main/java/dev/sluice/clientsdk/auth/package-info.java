/**
 * AWS request signing (Signature Version 4) and the credentials it uses, for any AWS-style service
 * (SQS, SNS, ...). Imports the JDK only.
 */
package dev.sluice.clientsdk.auth;
